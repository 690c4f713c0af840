/** A LIKE pattern for text containing `text` as typed: its wildcards (and the escape) matched literally. */
export const likeContaining = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
