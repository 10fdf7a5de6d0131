/** How an HTTP device's answer to a command becomes a CommandOutcome. */
import { errorReason, type HttpResult } from './httpClient.js';
import { commandFailed, commandOk, type CommandOutcome } from './sharedDevices.js';

export function outcomeFromHttp(result: HttpResult, action: string): CommandOutcome {
  switch (result.kind) {
    case 'timeout':
      return commandFailed('timeout', `the device did not answer ${action} in time`);
    case 'network':
      return commandFailed('offline', `the device could not be reached: ${result.message}`);
    case 'too_large':
      return commandFailed('device_error', `the device answered ${action} with an oversized body`);
    case 'response':
      if (result.status >= 200 && result.status < 300) return commandOk();
      if (result.status >= 500) return commandFailed('device_error', errorReason(result.status, result.body));
      return commandFailed('rejected', errorReason(result.status, result.body));
  }
}
