// Who is making a request. Resolved once per request by the identity module's session hook.
import type { StaffRole } from '@jiedao/contracts';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'resident'; id: string }
  | {
      kind: 'staff';
      id: string;
      role: StaffRole;
      departmentId: string | null;
      displayName: string;
      /** production: the password was set by an administrator; nothing but changing it is allowed */
      mustChangePassword?: boolean;
    }
  | { kind: 'system'; name: string };

export type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type ResidentActor = Extract<Actor, { kind: 'resident' }>;

export const SYSTEM: Actor = { kind: 'system', name: 'system' };

export function actorRef(actor: Actor): { kind: string; id: string | null } {
  switch (actor.kind) {
    case 'anonymous':
      return { kind: 'anonymous', id: null };
    case 'system':
      return { kind: 'system', id: actor.name };
    default:
      return { kind: actor.kind, id: actor.id };
  }
}
