/** What the pages and /readyz tell about the index: the port the app reads, implemented by the service. */
export interface ServiceStatus {
  ready: boolean;
  articles: number;
  paragraphs: number;
  /** When the indexed content last changed (ISO), or null. */
  lastChangeAt: string | null;
  snapshot: { writtenAt: string; bytes: number } | null;
}
