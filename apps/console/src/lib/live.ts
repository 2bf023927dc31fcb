// New and changed cases as they happen: the server's event stream (/api/live/cases), which reaches
// every instance through Redis or PostgreSQL. EventSource reconnects by itself.
import { useEffect, useRef, useState } from 'react';

export interface LiveCaseEvent {
  caseId: string;
  number: string;
  topic: string;
  state: string;
  departmentId: string | null;
  at: string;
}

export function useLiveCases(onEvent: (e: LiveCaseEvent) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource('/api/live/cases');
    source.addEventListener('hello', () => setConnected(true));
    source.addEventListener('case', (m) => {
      try {
        handler.current(JSON.parse((m as MessageEvent<string>).data) as LiveCaseEvent);
      } catch {
        // a malformed message is skipped
      }
    });
    source.onerror = () => setConnected(false);
    source.onopen = () => setConnected(true);
    return () => source.close();
  }, []);
  return connected;
}
