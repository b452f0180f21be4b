import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';

/** The start of a large value as the API sends it (`JsonPreview`). */
export interface JsonPreview {
  text: string;
  truncated: boolean;
  bytes: number;
}

/** Line height of the full-value view (px), for the virtualiser. */
const LINE_HEIGHT = 18;

/** `1234567` as `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * A JSON value that may be large: its preview at once and, when the preview was cut, the whole value on
 * request, shown as indented lines of which only those in view are rendered, so a 5 MB output never
 * freezes the page.
 */
export const JsonViewer = memo(function JsonViewer({ label, preview, load }: { label: string; preview: JsonPreview | null; load: () => Promise<unknown> }) {
  const [whole, setWhole] = useState<{ lines: string[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!preview) return <p className="hint">No {label.toLowerCase()}.</p>;
  if (whole) return <JsonLines label={label} lines={whole.lines} />;
  return (
    <div className="json-viewer">
      <pre aria-label={label}>{preview.text}</pre>
      {preview.truncated && (
        <p className="hint">
          Showing the start of {formatBytes(preview.bytes)}.{' '}
          <button
            type="button"
            disabled={loading}
            onClick={async () => {
              setLoading(true);
              try {
                const value = await load();
                setWhole({ lines: JSON.stringify(value, null, 2).split('\n') });
              } catch (loadError) {
                setError((loadError as Error).message);
              } finally {
                setLoading(false);
              }
            }}
          >
            {loading ? 'Loading…' : `Load all ${formatBytes(preview.bytes)}`}
          </button>
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
});

function JsonLines({ label, lines }: { label: string; lines: string[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 30 });
  const width = useMemo(() => String(lines.length).length, [lines.length]);
  return (
    <div ref={scroller} className="json-lines" aria-label={label} data-lines={lines.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.index} className="json-line" style={{ position: 'absolute', top: item.start, height: LINE_HEIGHT }}>
            <span className="json-line-number">{String(item.index + 1).padStart(width)}</span>
            {lines[item.index]}
          </div>
        ))}
      </div>
    </div>
  );
}
