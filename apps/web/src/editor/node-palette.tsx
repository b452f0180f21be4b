import { memo } from 'react';
import type { NodeTypeInfo } from './node-types';

/** Every node type of the catalogue, workflow types first; clicking one adds a node of that type. */
export const NodePalette = memo(function NodePalette({ nodeTypes, onAdd }: { nodeTypes: NodeTypeInfo[]; onAdd: (type: string) => void }) {
  return (
    <nav aria-label="Node palette" className="palette">
      <h2>Add a node</h2>
      <ul>
        {nodeTypes.map((entry) => (
          <li key={entry.type}>
            <button type="button" onClick={() => onAdd(entry.type)} title={entry.description} aria-label={`Add ${entry.type}`}>
              <strong>{entry.type}</strong>
              <span>{entry.description.split('. ')[0]}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
});
