/** One scenario of a boot: the guest runs it when the host says go; true when it passed. */
export interface Scenario {
  readonly name: string;
  run(): Promise<boolean>;
}
