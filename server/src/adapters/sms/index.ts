import type { SmsSender } from '../../kernel/sms.js';
import { LogSmsSender } from './log-sms.js';

export { LogSmsSender, lastLoggedCode } from './log-sms.js';

export function createSmsSender(provider: 'log', dataDir: string): SmsSender {
  switch (provider) {
    case 'log':
      return new LogSmsSender(dataDir);
  }
}
