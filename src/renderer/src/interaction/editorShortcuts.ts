/** The editor's DOM side: keys, drags and files. The graph logic it drives lives, DOM-free, in ../editor/. */
/** The editor's keyboard commands, named apart from the keys so that the menu and the toolbar can share them. */
export type EditorCommand = 'undo' | 'redo' | 'copy' | 'paste' | 'delete' | 'save' | 'open';

/** Keys typed into a form field belong to the field (its own undo, its own copy), not to the graph. */
export function typingInField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName));
}

/** Ctrl+Z, Ctrl+Shift+Z (or Ctrl+Y), Ctrl+C, Ctrl+V, Delete/Backspace, Ctrl+S, Ctrl+O; Cmd on macOS. */
export function shortcutOf(event: KeyboardEvent): EditorCommand | null {
  if (typingInField(event.target)) return null;
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'c') return 'copy';
  if (mod && key === 'v') return 'paste';
  if (mod && key === 's') return 'save';
  if (mod && key === 'o') return 'open';
  if (!mod && (key === 'delete' || key === 'backspace')) return 'delete';
  return null;
}
