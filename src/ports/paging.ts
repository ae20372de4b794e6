/** Progress of a paged list: one call per page received. */
export interface PageInfo {
  /** The adapter's name: a carrier or voice platform of the registry. */
  provider: string;
  /** What is being listed: "incoming phone numbers", "trunk TK… phone numbers", "phone numbers", "agents"… */
  what: string;
  /** 1-based page number within that list. */
  page: number;
  /** Items on this page. */
  items: number;
  /** Items of that list so far. */
  total: number;
}

export type OnPage = (info: PageInfo) => void;

/** What a delete did: `not-found` lets a second concurrent delete end with exit 4. */
export type DeleteResult = { status: 'deleted' } | { status: 'not-found' };
