/** One line of a sync plan: what changes for a number, its import into a workspace, its agent, or a view file. */
export type ChangeKind = 'add' | 'remove' | 'change';

export interface Change {
  kind: ChangeKind;
  /**
   * number: the number itself; workspace: its import into a workspace; assignment: its agent there;
   * file: bytes of a view file that differ from what the model renders (hand-edited derived fields, totals).
   */
  scope: 'number' | 'workspace' | 'assignment' | 'file';
  /** Empty for a file-level change that belongs to no number (a total, the layout). */
  phone_number: string;
  workspace?: string;
  /** The view file, project-relative (file changes only). */
  file?: string;
  fields?: string[];
  summary: string;
}
