/** Each workflow node type's own static checks (its `check`), run with what they need injected. */
import { checkJsonSchema } from '../json-schema/schema-compiler.js';
import type { NodeTypeCatalogue } from '../node-types/catalogue.js';
import type { NodeCheckContext } from '../node-types/node-type.js';
import { checkConfig } from './config-checks.js';
import type { NodeView } from './dag-views.js';
import { checkTemplates, pushSyntaxError } from './expression-checks.js';
import { formatPath, joinPath, type PathSegment, type ValidationIssue } from './issues.js';

/** Validates a nested DAG document; supplied by `validateDag` to avoid an import cycle. */
export type NestedDagValidator = (raw: unknown) => ValidationIssue[];

/** Runs the `check` of every node whose type has one, with issue paths under `nodes[i].config`. */
export function checkNodeTypeRules(nodes: readonly NodeView[], catalogue: NodeTypeCatalogue, validateNested: NestedDagValidator): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    const check = node.type === undefined ? undefined : catalogue.get(node.type)?.check;
    if (!check || !node.config) continue;
    const prefix: PathSegment[] = ['nodes', node.index, 'config'];
    const under = (segments: readonly PathSegment[]) => [...prefix, ...segments];
    const context: NodeCheckContext = {
      at: (...segments) => formatPath(under(segments)),
      checkConfigOf: (type, config, segments) => {
        const entry = catalogue.get(type);
        return entry ? checkConfig(entry.configSchema, config, under(segments)) : [];
      },
      checkJsonSchema: (schema, segments) => {
        const at = formatPath(under(segments));
        return checkJsonSchema(schema).map((issue) => ({ ...issue, path: joinPath(at, issue.path) }));
      },
      checkTemplates: (value, segments) => checkTemplates(value, under(segments)),
      checkExpression: (source, segments) => {
        const found: ValidationIssue[] = [];
        pushSyntaxError(source, formatPath(under(segments)), found);
        return found;
      },
      validateNested,
      loopBodyRestriction: (type) => catalogue.get(type)?.notInLoopBody ?? undefined,
    };
    issues.push(...check({ ...node, config: node.config }, context));
  }
  return issues;
}
