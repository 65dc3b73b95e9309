// English strings of the meter domain. Keys mirror renderer/i18n/zh-CN/meter.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const meter = {
  errors: {
    METER_NO_USB_SUBSYSTEM:
      'This system gives programs no access to USB (no USB bus found: {detail}). Run Wattlet on the computer the meter cable is plugged into, or pass the USB controller through to this virtual machine. A serial port (/dev/tty…, COM…) can still be used.',
    METER_PERMISSION_DENIED:
      'Wattlet may not open the meter adapter. On Linux, install the udev rule that lets the logged-in user use it, then unplug and replug the cable: {installCommand}',
    METER_INTERFACE_CLAIMED:
      'Another driver or program is using the meter adapter (interface {interfaceNumber}). Close other meter or terminal programs; on Linux Wattlet detaches the kernel driver itself, elsewhere choose the "operating system serial port" path for this device.',
    METER_UNSUPPORTED_ADAPTER:
      'This USB device ({vidPid}) is not a meter adapter Wattlet can drive: {reason}. If the operating system made a serial port for it, choose that port instead.',
    METER_DEVICE_GONE: 'The meter adapter was unplugged or stopped answering during {operation}. Plug it back in; Wattlet reconnects by itself.',
    METER_DEVICE_NOT_FOUND: 'No meter adapter matches "{selector}". Check the cable is plugged in, or pick the device from the list.',
    METER_LINE_SETTINGS_UNSUPPORTED: 'The adapter cannot run at {baudRate} baud with this format ({reason}).',
    METER_ADAPTER_REFUSED:
      'The adapter refused a command (request {request}). It may be a clone that behaves differently; unplug and replug it, or use the operating system serial port.',
    METER_TRANSFER_FAILED: 'Talking to the adapter failed during {operation}: {detail}',
    METER_PORT_NOT_OPEN: 'The meter connection is closed.',
    METER_OS_SERIAL_FAILED: 'The serial port {device} could not be used: {detail}',
  } as Record<string, string>,
  families: {
    'cdc-acm': 'CDC-ACM (USB serial class)',
    ftdi: 'FTDI',
    cp210x: 'Silicon Labs CP210x',
    ch34x: 'WCH CH340/CH341',
    pl2303: 'Prolific PL2303',
    none: 'not a supported adapter',
  },
  paths: {
    usb: "Wattlet's USB driver",
    os: "Operating system's serial port",
    auto: 'Automatic',
  },
  hotplug: {
    connect: '{product} plugged in',
    disconnect: '{product} removed',
  },
};
