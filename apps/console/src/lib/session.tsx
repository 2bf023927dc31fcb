import { createContext, useContext } from 'react';
import type { Department, StaffProfile } from './types';

export interface Session {
  me: StaffProfile;
  departments: Department[];
  signOut(): Promise<void>;
  /** reload my profile (after a change to my account) */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}
