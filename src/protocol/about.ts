/** The About page. */
export interface AboutInfo {
  name: 'wobserver';
  version: string;
  node: string;
  /** The URL prefix the UI and API are served under ('' at the root). */
  prefix: string;
  diagnostics: boolean;
  pid: number;
}
