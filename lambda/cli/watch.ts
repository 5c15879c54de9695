import { existsSync, watch } from 'node:fs';

/**
 * Calls `onChange` once the content folder (and the templates folder, when there is one) has been quiet for `debounceMs` after a change: an
 * editor's save (often several writes) or a copied folder is one republish, not dozens. Changes
 * while a republish runs lead to one more after it.
 */
export function watchContent(
  roots: readonly string[],
  onChange: () => Promise<void>,
  debounceMs = 300,
): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = onChange()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const watchers = roots
    .filter((root) => existsSync(root))
    .map((root) =>
      watch(root, { recursive: true }, (_event, name) => {
        // Editors' swap and temporary files are not records.
        if (name && /(^|\/)(\.|.*~$)|\.sw[a-p]$|\.tmp$/.test(String(name))) return;
        clearTimeout(timer);
        timer = setTimeout(run, debounceMs);
      }),
    );
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
