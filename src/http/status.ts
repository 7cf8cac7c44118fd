/** What the pages and /readyz tell about the index: the port the app reads, implemented by the service. */
import type { StoreStatus } from '../articles/store.js';
import type { EventLoopStatus } from '../event-loop.js';

export interface ServiceStatus {
  ready: boolean;
  articles: number;
  paragraphs: number;
  /** When the indexed content last changed (ISO), or null. */
  lastChangeAt: string | null;
  snapshot: { writtenAt: string; bytes: number } | null;
  /**
   * The article store, and for PostgreSQL where this process stands in its change log: `seq` applied,
   * `headSeq` the newest seen, `lag` behind it, whether the database was reachable at the last read.
   */
  store?: StoreStatus;
  /** How long the event loop was held up, second by second (src/event-loop.ts); set by the server process. */
  eventLoop?: EventLoopStatus;
}
