/** A JSON-safe preview of any value. */
export type Preview = null | boolean | number | string | Preview[] | { [key: string]: Preview };
