// English strings of the meter protocols and session. Keys mirror renderer/i18n/zh-CN/protocols.ts exactly.
// Error codes are translated under `errors`, with {fact} placeholders.
export const protocols = {
  errors: {
    METER_CHECKSUM: 'A frame from the meter arrived damaged (checksum mismatch) and was skipped. Occasional ones are normal; many mean a loose cable or a wrong speed.',
    METER_FRAMING: 'The meter sent bytes that do not form a complete frame. If this keeps happening, check the line settings and the cable.',
    METER_FRAME_TOO_LONG: 'The meter sent more data than a frame may hold without an end marker. The line speed is probably wrong.',
    METER_NO_ANSWER: 'The meter stopped answering ({protocol}). Check that the reading head sits on the meter and the cable is plugged in.',
    METER_DETECT_NONE: 'No meter protocol was recognised after {attempts} attempts. Check the cable and that the meter’s port is enabled; details: {summary}',
    METER_DLT645_EXCEPTION: 'The meter refused a request (DL/T 645 error reply). It may not offer that value.',
    METER_MODBUS_EXCEPTION: 'The meter answered with a Modbus exception. Check the slave address and the meter model.',
    METER_SMARTY_KEY: 'This meter encrypts its data. Enter the 16-byte key (and authentication data) your grid operator gave you.',
    METER_SMARTY_AUTH: 'The meter’s encrypted data could not be verified. The key or the authentication data is wrong.',
    METER_TRUNCATED: 'The data ended in the middle of a frame (the recording stopped or the cable was pulled); that frame was not read.',
    METER_NO_QUANTITIES: 'A frame from the meter had data lines, but none of them could be read as a value. See Diagnostics for the lines.',
    METER_SESSION_NOT_RUNNING: 'No meter is being read right now. Connect a meter first.',
  } as Record<string, string>,
  states: {
    idle: 'Not started',
    connecting: 'Connecting to the adapter…',
    detecting: 'Finding the meter’s protocol…',
    reading: 'Reading the meter',
    waiting: 'Connection lost, retrying soon',
    stopped: 'Stopped',
  },
  counters: {
    framesOk: 'Frames received',
    checksumErrors: 'Checksum errors',
    framingErrors: 'Framing errors',
    timeouts: 'Timeouts',
    exceptions: 'Refused requests',
    reconnects: 'Reconnects',
  },
};
