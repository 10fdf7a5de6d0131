/** Drag and drop a file, or choose it with the (keyboard-operable) file input. */
import { useId, useState, type DragEvent } from 'react';

export const ACCEPT = '.gcode,.gco,.g,.3mf';

export function FileDrop({ onFile, disabled }: { onFile: (f: File) => void; disabled?: boolean }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div
      className={`file-drop${over ? ' is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="file-drop"
    >
      <p className="drop-hint" aria-hidden="true">
        Drop a G-code or 3MF file here, or
      </p>
      <label htmlFor={id} className="file-label">
        Choose a G-code or 3MF file
      </label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}
