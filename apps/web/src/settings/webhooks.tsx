import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CopyButton } from './members';
import { graphql } from '../api/graphql';

const WEBHOOKS = graphql(`
  query Webhooks {
    agents { id name webhookSecretRotatedAt }
  }
`);
const ROTATE = graphql(`
  mutation RotateWebhookSecret($agentId: ID!) {
    rotateWebhookSecret(agentId: $agentId)
  }
`);

/**
 * A call to `/hooks/:agentId` signed as the API checks it: HMAC-SHA256 of `<timestamp>.<body>` with the
 * agent's secret, sent with `X-Trellis-Timestamp` and `X-Trellis-Signature`.
 */
export function signingExample(apiUrl: string, agentId: string, secret: string): string {
  return [
    `API=${apiUrl}`,
    `AGENT=${agentId}`,
    `SECRET=${secret}`,
    `BODY='{"hello": "world"}'`,
    '',
    'TS=$(date +%s)',
    `SIG=$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')`,
    'curl -sS -i "$API/hooks/$AGENT" \\',
    "  -H 'content-type: application/json' \\",
    '  -H "X-Trellis-Timestamp: $TS" \\',
    '  -H "X-Trellis-Signature: sha256=$SIG" \\',
    '  --data-binary "$BODY"',
  ].join('\n');
}

/** Every agent's webhook: when its secret was last rotated, rotation (the secret is shown once) and a signed example call. */
export function Webhooks() {
  const [{ data, error }, reload] = useQuery({ query: WEBHOOKS });
  const [rotated, rotate] = useMutation(ROTATE);
  const [shown, setShown] = useState<{ agentId: string; secret: string } | null>(null);
  return (
    <>
      <h2>Webhooks</h2>
      <p className="hint">
        <code>POST /hooks/&lt;agent id&gt;</code> starts a run with the JSON body as input, signed with the agent's secret. Rotating replaces the
        secret at once.
      </p>
      {(error ?? rotated.error) && <p role="alert" className="error">{(error ?? rotated.error)!.message}</p>}
      {data?.agents.length === 0 && <p className="hint">No agents yet.</p>}
      <table className="agents" aria-label="Webhooks" hidden={data?.agents.length === 0}>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Secret rotated</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {(data?.agents ?? []).map((agent) => (
            <tr key={agent.id} data-webhook-agent={agent.name}>
              <td>{agent.name}</td>
              <td>{agent.webhookSecretRotatedAt ? new Date(agent.webhookSecretRotatedAt).toLocaleString() : 'never (calls are refused)'}</td>
              <td>
                <button
                  type="button"
                  disabled={rotated.fetching}
                  onClick={async () => {
                    const result = await rotate({ agentId: agent.id });
                    if (result.data) {
                      setShown({ agentId: agent.id, secret: result.data.rotateWebhookSecret });
                      reload({ requestPolicy: 'network-only' });
                    }
                  }}
                >
                  Rotate secret
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && (
        <div className="new-key" aria-label="New webhook secret">
          <p>
            Copy this secret now, it is not shown again: <code>{shown.secret}</code>
          </p>
          <p>A signed call, ready to paste into a shell:</p>
          <pre aria-label="Signing example">{signingExample(location.origin, shown.agentId, shown.secret)}</pre>
          <CopyButton text={signingExample(location.origin, shown.agentId, shown.secret)} />
        </div>
      )}
    </>
  );
}
