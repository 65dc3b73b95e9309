/**
 * Typed errors the commands meet, in the CLI's words: what happened and what to type next. A code
 * missing here prints the error's own English message. The UI has its own tables
 * (renderer/i18n), in two languages and with its own buttons to point at.
 */
export const errorText: Readonly<Record<string, string>> = {
  // meter list, meter read, diagnose
  METER_NO_USB_SUBSYSTEM:
    'This system gives programs no access to USB (no USB bus found: {detail}). Run wattlet on the computer the meter cable is plugged into, or pass the USB controller through to this virtual machine. A serial device still works without USB: --device /dev/ttyUSB0 (or COM3).',
  METER_PERMISSION_DENIED: 'No permission to open the meter adapter. On Linux, install the udev rule for the logged-in user, then unplug and replug the cable: {installCommand}',
  METER_INTERFACE_CLAIMED:
    'Another driver or program holds the meter adapter (interface {interfaceNumber}). Close other meter or terminal programs, or read through the operating system serial port with --path os.',
  METER_UNSUPPORTED_ADAPTER: 'The USB device {vidPid} is not a meter adapter wattlet can drive: {reason}. If the operating system made a serial port for it, pass that port to --device.',
  METER_DEVICE_GONE: 'The meter adapter was unplugged or stopped answering during {operation}. Plug it back in and run the command again.',
  METER_DEVICE_NOT_FOUND: 'No meter adapter matches "{selector}". Check that the cable is plugged in; wattlet meter list shows what is.',
  METER_LINE_SETTINGS_UNSUPPORTED: 'The adapter cannot run at {baudRate} baud with this format ({reason}). Try another --baud or --format.',
  METER_ADAPTER_REFUSED: 'The adapter refused a command (request {request}); it may be a clone that behaves differently. Unplug and replug it, or use --path os.',
  METER_TRANSFER_FAILED: 'Talking to the adapter failed during {operation}: {detail}',
  METER_PORT_NOT_OPEN: 'The meter connection is closed.',
  METER_OS_SERIAL_FAILED: 'The serial port {device} could not be used: {detail}',
  // ledger verify, operator demo
  LEDGER_RPC_UNREACHABLE: 'The ledger endpoint {url} cannot be reached. Check the network and the --rpc URL.',
  LEDGER_RPC_TIMEOUT: 'The ledger endpoint {url} did not answer in time. Try again, or give another --rpc endpoint.',
  LEDGER_RPC_ERROR: 'The ledger endpoint refused {method}: {rpcMessage}',
  LEDGER_RPC_INVALID_ANSWER: 'The ledger endpoint answered something wattlet cannot read. Give another --rpc endpoint.',
  LEDGER_CHAIN_START_FAILED: 'The local demo chain did not start. Run the command again; if it fails again, send its output to support.',
  LEDGER_CONTRACT_MISSING: 'There is no contract at {contract} on this chain. Check --contract.',
  LEDGER_NO_ANCHOR: 'The operator has not anchored this day on the ledger (proven at block B).',
  LEDGER_NO_INTERVALS: 'No interval file was given for this day, so its intervals cannot be checked against the anchor (--intervals FILE).',
  LEDGER_INTERVALS_UNREADABLE: 'The interval file {path} cannot be read or is not an operator interval file (wattlet.intervals/1).',
  PROOF_READINGS_DIFFER: 'The meter and the operator disagree on some intervals.',
  PROOF_LEAF_NOT_UNDER_ROOT: "Some of the operator's intervals are not under the anchored root: the file was altered or is for another day.",
  PROOF_ACCOUNT_MISMATCH: "The contract's account is not proven under the block's state root: the endpoint's answer is wrong.",
  PROOF_STORAGE_MISMATCH: "The anchored value is not proven in the contract's storage: the endpoint's answer is wrong.",
  PROOF_HEADER_HASH: 'The block header does not hash to the block hash: the endpoint forged the header.',
  PROOF_HEADER_FORK: 'The block header has fields of no known fork; wattlet refuses to guess.',
  PROOF_UNKNOWN_HEADER_FIELD: 'The block header has fields wattlet does not know; it refuses to guess how they are hashed.',
  PROOF_BLOCK_MISMATCH: 'The endpoint answered with another block than the one asked for.',
  PROOF_BLOCK_TOO_SHALLOW: 'Block B is not yet deep enough for --min-depth. Try again later, or verify at an older --block.',
  PROOF_ENDPOINTS_DISAGREE: 'The --second-rpc endpoint does not have the same block B: one of them is on another chain or lying.',
  LEDGER_NO_REGION_PATH: 'This meter is anchored through its region, and no region path was given for {date} (--region-path FILE).',
  LEDGER_REGION_EMPTY: 'There are no meter files for region {regionId} on this day in --from; an empty region is not anchored.',
  LEDGER_REGION_DUPLICATE_METER: 'Meter {meterId} appears twice in --from for this day. Remove the extra file and run the command again; nothing was anchored.',
  LEDGER_REGION_METER_NOT_IN_REGION: 'Meter {meterId} is not registered in region {regionId}. Register it there first (or leave its file out); nothing was anchored.',
  LEDGER_REGION_WRONG_DAY: '{path} is for another meter or day than its folder and --day say. Nothing was anchored.',
  LEDGER_REGION_ROOT_MISMATCH: '{path} names a root its own intervals do not build. Nothing was anchored.',
  LEDGER_REGION_ANCHOR_FINAL: 'Region {regionId} is already anchored for {date} with another root ({anchoredRoot}). Anchors are final: a correction is a dispute, not a new anchor.',
  // ledger verify: the pinned checkpoint, dispute packs and interval proofs
  PROOF_REGION_PATH: "The meter's day is not under the region's anchored root: the region path was altered, or is another meter's.",
  PROOF_REGION_MISMATCH: 'The meter is not registered (at block B, proven) in the region the path names.',
  PROOF_WRONG_DAY: 'The region path or the intervals are for another day than the one checked.',
  PROOF_DAY_TOTALS: "The operator's intervals do not cover the day, or do not add up to the totals anchored with its root.",
  LEDGER_NO_CHECKPOINT: "No checkpoint was pinned: block B rests on the endpoint's word.",
  LEDGER_CHECKPOINT_INVALID: 'That is not a checkpoint: it needs one block number and one block hash (0x and 64 hex digits).',
  LEDGER_CHECKPOINT_MISMATCH: 'Block B and the pinned checkpoint are not on the same chain: the endpoint, or the checkpoint, is wrong.',
  LEDGER_HEADER_CHAIN_BROKEN: 'A block header between the checkpoint and block B was altered: the chain of parent hashes is broken.',
  LEDGER_HEADER_CHAIN_TOO_LONG: 'The checkpoint is {headers} blocks from block B; at most {max} headers are fetched. Pin a newer checkpoint.',
  PACK_MALFORMED: 'The file is not a wattlet dispute pack or interval proof (or a part of it is not what it should be).',
  PACK_SIGNATURE: "The household's signature does not cover this pack: it was altered after signing, or signed by another key.",
  PACK_SIGNER_NOT_OWNER: 'The pack was signed by a key that did not own the meter at block B (proven from the contract).',
};
