// Who is signed in (a resident, by phone + code), their preferences, and the shared app config.
import { createContext, useContext } from 'react';
import type { AppConfig, ResidentProfile } from './types';

export interface Session {
  /** undefined while loading, null when signed out. */
  me: ResidentProfile | null | undefined;
  config: AppConfig | null;
  unread: number;
  refreshMe(): Promise<void>;
  refreshUnread(): Promise<void>;
  signOut(): Promise<void>;
  updatePrefs(
    p: Partial<Pick<ResidentProfile, 'locale' | 'elderMode' | 'gridId' | 'nickname'>>,
  ): Promise<void>;
}

export const SessionContext = createContext<Session>({
  me: undefined,
  config: null,
  unread: 0,
  refreshMe: async () => {},
  refreshUnread: async () => {},
  signOut: async () => {},
  updatePrefs: async () => {},
});

export const useSession = (): Session => useContext(SessionContext);
