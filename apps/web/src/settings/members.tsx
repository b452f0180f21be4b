import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { useRole, useSession } from '../layout/session-context';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const MEMBERS = graphql(`
  query Members {
    workspace { id name members { role joinedAt user { id email } } }
  }
`);
const INVITE = graphql(`
  mutation Invite($email: String!, $role: WorkspaceRole!) {
    inviteMember(email: $email, role: $role) { token url }
  }
`);
const SET_ROLE = graphql(`
  mutation SetMemberRole($userId: ID!, $role: WorkspaceRole!) {
    setMemberRole(userId: $userId, role: $role) { role }
  }
`);
const INVITATIONS = graphql(`
  query PendingInvitations {
    workspace { id invitations { id email role createdAt expiresAt } }
  }
`);
const REVOKE_INVITATION = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);
const REMOVE = graphql(`
  mutation RemoveMember($userId: ID!) {
    removeMember(userId: $userId)
  }
`);

/** Workspace roles, lowest first. */
export const ROLES = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN', 'OWNER'] as const;

/** The roles `role` may hand out: its own and below (the server enforces the same ceiling). */
export function rolesUpTo(role: string | undefined): (typeof ROLES)[number][] {
  return ROLES.filter((candidate) => ROLES.indexOf(candidate) <= ROLES.indexOf(role as (typeof ROLES)[number]));
}

/** The members with their roles; admins invite people (the link is shown once), change roles and remove members. */
export function Members() {
  const role = useRole();
  const { me } = useSession();
  const manage = atLeast(role, 'ADMIN');
  const [{ data, error }, reload] = useQuery({ query: MEMBERS });
  const [invited, invite] = useMutation(INVITE);
  const [changed, setMemberRole] = useMutation(SET_ROLE);
  const [removed, remove] = useMutation(REMOVE);
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<(typeof ROLES)[number]>('VIEWER');
  const [link, setLink] = useState<string | null>(null);
  const refresh = () => reload({ requestPolicy: 'network-only' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await invite({ email, role: inviteRole });
    if (result.data) {
      const { token, url } = result.data.inviteMember;
      setLink(url ?? `${location.origin}/invitations/accept?token=${encodeURIComponent(token)}`);
      setEmail('');
    }
  };
  const failure = invited.error ?? changed.error ?? removed.error ?? error;
  if (!data) return failure ? <p role="alert" className="error">{failure.message}</p> : <p>Loading…</p>;
  return (
    <>
      <h2>Members</h2>
      {manage && (
        <form className="inline-form" onSubmit={submit} aria-label="Invite a member">
          <input type="email" aria-label="Invitee email" placeholder="Email" value={email} onChange={(event) => setEmail(event.target.value)} required />
          <select aria-label="Invitee role" value={inviteRole} onChange={(event) => setInviteRole(event.target.value as (typeof ROLES)[number])}>
            {rolesUpTo(role).map((candidate) => (
              <option key={candidate}>{candidate}</option>
            ))}
          </select>
          <button type="submit" disabled={invited.fetching}>
            Invite
          </button>
        </form>
      )}
      {link && (
        <p className="new-key" aria-label="Invitation link">
          Send this link to the invitee; it is not shown again: <code>{link}</code> <CopyButton text={link} />
        </p>
      )}
      {failure && <p role="alert" className="error">{messageOf(failure)}</p>}
      {manage && <PendingInvitations refreshKey={link} />}
      <table className="agents" aria-label="Members">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            {manage && <th scope="col" />}
          </tr>
        </thead>
        <tbody>
          {data.workspace.members.map((member) => (
            <tr key={member.user.id} data-member={member.user.email}>
              <td>{member.user.email}</td>
              <td>
                {manage && member.user.id !== me.user?.id ? (
                  <select
                    aria-label={`Role of ${member.user.email}`}
                    value={member.role}
                    onChange={async (event) => (await setMemberRole({ userId: member.user.id, role: event.target.value as (typeof ROLES)[number] }), refresh())}
                  >
                    {(rolesUpTo(role) as string[]).includes(member.role) ? null : <option>{member.role}</option>}
                    {rolesUpTo(role).map((candidate) => (
                      <option key={candidate}>{candidate}</option>
                    ))}
                  </select>
                ) : (
                  member.role
                )}
              </td>
              <td>{new Date(member.joinedAt).toLocaleString()}</td>
              {manage && (
                <td>
                  {member.user.id !== me.user?.id && (
                    <button type="button" className="danger" onClick={async () => (await remove({ userId: member.user.id }), refresh())}>
                      Remove
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Invitations not yet accepted, with their role and expiry; admins withdraw them. */
function PendingInvitations({ refreshKey }: { refreshKey: string | null }) {
  const [{ data }, reload] = useQuery({ query: INVITATIONS, requestPolicy: 'network-only' });
  const [revoked, revoke] = useMutation(REVOKE_INVITATION);
  useEffect(() => {
    if (refreshKey) reload({ requestPolicy: 'network-only' });
  }, [refreshKey, reload]);
  const pending = data?.workspace.invitations ?? [];
  if (pending.length === 0) return null;
  return (
    <>
      <h3>Pending invitations</h3>
      {revoked.error && <p role="alert" className="error">{messageOf(revoked.error)}</p>}
      <table className="agents" aria-label="Pending invitations">
        <tbody>
          {pending.map((invitation) => (
            <tr key={invitation.id} data-invitation={invitation.email}>
              <td>{invitation.email}</td>
              <td>{invitation.role}</td>
              <td>expires {new Date(invitation.expiresAt).toLocaleString()}</td>
              <td>
                <button type="button" onClick={async () => (await revoke({ id: invitation.id }), reload({ requestPolicy: 'network-only' }))}>
                  Withdraw
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Copies `text` to the clipboard, saying so. */
export function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
