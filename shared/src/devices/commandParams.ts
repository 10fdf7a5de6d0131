/**
 * Parameters of printer commands (collections/commands.ts PRINTER_ACTIONS), parsed once here
 * so the UI that writes a command and the bridge that runs it agree on their shape.
 */
import { z } from 'zod';
import { PRINTER_ACTIONS } from '../collections/commands.js';

export type PrinterAction = (typeof PRINTER_ACTIONS)[number];
export type CommandParams = Record<string, string | number | boolean>;

const noParams = z.object({}).strict();
const temperature = z.number().min(0).max(350);

export const printerCommandParams = {
  pause: noParams,
  resume: noParams,
  stop: noParams,
  /** Start a file that is already stored on the device. */
  start_job: z.object({ fileName: z.string().min(1).max(200) }).strict(),
  /** Heater targets in °C; 0 turns a heater off. At least one of the two. */
  set_temperature: z
    .object({ nozzle: temperature.optional(), bed: temperature.optional() })
    .strict()
    .refine((p) => p.nozzle !== undefined || p.bed !== undefined, 'give nozzle, bed or both'),
  /** The operator confirms the bed is empty, so the next job may start (a bridge-level action). */
  mark_bed_cleared: noParams,
} satisfies Record<PrinterAction, z.ZodType>;

export type PrinterCommand = {
  [A in PrinterAction]: { action: A; params: z.infer<(typeof printerCommandParams)[A]> };
}[PrinterAction];

export type ParsedCommand = { ok: true; command: PrinterCommand } | { ok: false; reason: string };

export function isPrinterAction(action: string): action is PrinterAction {
  return (PRINTER_ACTIONS as readonly string[]).includes(action);
}

/** Check an action name and its parameters; the reason names what is wrong. */
export function parsePrinterCommand(action: string, params: CommandParams): ParsedCommand {
  if (!isPrinterAction(action)) return { ok: false, reason: `unknown printer action ${action}` };
  const parsed = printerCommandParams[action].safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, reason: `invalid ${action} parameters: ${where}${issue?.message ?? 'bad value'}` };
  }
  return { ok: true, command: { action, params: parsed.data } as PrinterCommand };
}
