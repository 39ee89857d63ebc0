/** A rendered mail: subject, a plain-text body and the same content as HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** "2026-11-23 01:30 UTC": unambiguous wherever the reader is. */
export function formatUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
