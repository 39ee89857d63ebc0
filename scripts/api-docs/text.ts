/** A document as it is committed and served: two-space JSON with a final newline, so a regenerated one differs only where the code did. */
export function documentText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
