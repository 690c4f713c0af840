/** Times as the administrator's browser shows them: date and minutes, in their locale and zone. */
export const formatTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
