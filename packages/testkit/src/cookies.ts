/** What a browser keeps of a response's Set-Cookie headers: the `name=value` pairs. */
export const cookiePairs = (response: Pick<Response, 'headers'>): string[] =>
  response.headers.getSetCookie().map((cookie) => cookie.split(';')[0] as string);

/** The sign-in session cookie (`roster_session=rss_…`) a response set, if any. */
export const sessionCookie = (response: Response): string | undefined =>
  cookiePairs(response).find((pair) => /^roster_session=rss_/.test(pair));
