// Applying a setup to a host over ssh: the xen.hosts entries, reading the host's files, the apply
// script and running scripts with the system's ssh. No editor code here: the client calls these.
export { validateHostEntry, validateHosts, type HostEntry, type HostEntryCheck } from './hosts';
export { shQuote, shGlob, displayValue, pathProblems } from './quote';
export {
  findSsh,
  stdinCommand,
  sshStdinArgv,
  sshPrefix,
  runArgv,
  runScriptOverSsh,
  targetOf,
  identityOptions,
  type SshTarget,
  type SshRun,
  type RunOptions,
} from './ssh';
export {
  DEFAULT_FETCH_PATHS,
  MAX_FETCH_OUTPUT,
  fetchPathProblems,
  fetchScript,
  fetchArgv,
  parseFetchOutput,
  fetchFiles,
  type FetchedFile,
  type FetchedState,
  type FetchResult,
} from './fetch';
export {
  ApplyExit,
  describeApplyExit,
  buildApplyScript,
  planProblems,
  PROGRESS_PREFIX,
  runDirOf,
  type ApplyExitCode,
  type ApplyPlan,
  type ApplyCommand,
  type FileToWrite,
} from './script';
export { commandsFor, planApply, unsendable, type PlanOptions } from './plan';
export { readSysctl } from '../formats/sysctl/service';
export {
  newRunId,
  storeCommand,
  runCommand,
  confirmScript,
  runnerScript,
  localRunnerScript,
  LOCAL_CONFIRM_WORD,
  writeRunFiles,
  ConfirmExit,
  type RunnerOptions,
  type LocalRunnerOptions,
} from './runner';
export {
  MAX_MIRROR_FILES,
  compareWithHost,
  fetchHost,
  hostPathProblem,
  localHostFiles,
  printablePath,
  removeTemporary,
  sortFetched,
  temporaryParent,
  writeMirror,
  type HostComparison,
  type HostDifference,
  type HostFetch,
  type MirrorFile,
  type MirrorSkip,
  type WriteResult,
} from './mirror';
