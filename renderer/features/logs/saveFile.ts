// Saves text as a file through the browser's download (a blob link): Electron's window and any
// browser do the same with it.
export function saveText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the download has taken it (a click starts it asynchronously).
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
