// HTML/XML escaping, the one copy for every view and display that writes markup.

/** Escape text for HTML and SVG content and (quoted) attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
