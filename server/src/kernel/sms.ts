// The port through which the platform sends text messages; providers live in adapters/sms.
export interface SmsMessage {
  to: string;
  text: string;
  /** The one-time code, when the message carries one (the log provider records it for demos and tests). */
  code?: string;
}

export interface SmsSender {
  readonly provider: string;
  send(message: SmsMessage): Promise<void>;
}
