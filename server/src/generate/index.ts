// The "generate" commands' core (no editor, no file system): see setup.ts for the commands,
// validate.ts for the answers' checks; each format's edits are in its formats/<name>/edit.ts.
export * from './types';
export {
  routedSetup,
  switchMode,
  addGuest,
  detectToolstack,
  generateInput,
  inputOf,
  type GenerateInput,
  type SwitchOptions,
  type AddGuestOptions,
} from './setup';
export {
  validateField,
  validateAnswers,
  validateCidr,
  validateInterfaceName,
  validateGatewayAddress,
  validateGuestName,
  validateGuestNames,
  validateToolstack,
  readBlock,
  guestCapacity,
} from './validate';
