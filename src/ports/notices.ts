/** What a use case tells the person running it, without printing: the command decides how to show it. */
export interface Notices {
  /** Something worth knowing that is not a problem ("provisioning a number…"). */
  info(message: string): void;
  /** Something the person should look at; the command still succeeds. */
  warn(message: string): void;
  /** A wait in progress ("waiting for the directory lock…"): shown on a terminal only. */
  progress(message: string): void;
}
