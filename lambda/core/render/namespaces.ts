/** XML namespaces the finished feeds use beyond RSS and Atom themselves. */
export const namespaces = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  history: 'http://purl.org/syndication/history/1.0',
} as const;
