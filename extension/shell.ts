// Quoting of command words sent to a terminal (pure, no `vscode`).

/** The word as-is when it is plain, else single-quoted for a POSIX shell (bash, zsh, sh). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}
