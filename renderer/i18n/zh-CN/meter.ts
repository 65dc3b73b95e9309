import type { meter as en } from '../en/meter.js';

// 简体中文：meter
export const meter: typeof en = {
  errors: {
    METER_NO_USB_SUBSYSTEM:
      '此系统不允许程序访问 USB（未找到 USB 总线：{detail}）。请在连接电表数据线的电脑上运行 Wattlet，或将 USB 控制器直通给此虚拟机。仍可使用串口（/dev/tty…、COM…）。',
    METER_PERMISSION_DENIED: 'Wattlet 无权打开电表适配器。在 Linux 上请安装允许当前登录用户使用它的 udev 规则，然后重新插拔数据线：{installCommand}',
    METER_INTERFACE_CLAIMED:
      '另一个驱动或程序正在使用电表适配器（接口 {interfaceNumber}）。请关闭其他电表或终端程序；在 Linux 上 Wattlet 会自行分离内核驱动，在其他系统上请为此设备选择“操作系统串口”方式。',
    METER_UNSUPPORTED_ADAPTER: '此 USB 设备（{vidPid}）不是 Wattlet 能驱动的电表适配器：{reason}。如果操作系统为它创建了串口，请改用该串口。',
    METER_DEVICE_GONE: '在{operation}时电表适配器被拔出或停止响应。请重新插入，Wattlet 会自动重连。',
    METER_DEVICE_NOT_FOUND: '没有与“{selector}”匹配的电表适配器。请检查数据线是否已插好，或从列表中选择设备。',
    METER_LINE_SETTINGS_UNSUPPORTED: '适配器无法以 {baudRate} 波特率和此格式运行（{reason}）。',
    METER_ADAPTER_REFUSED: '适配器拒绝了一条命令（请求 {request}）。它可能是行为不同的仿制芯片；请重新插拔，或改用操作系统串口。',
    METER_TRANSFER_FAILED: '在{operation}时与适配器通信失败：{detail}',
    METER_PORT_NOT_OPEN: '电表连接已关闭。',
    METER_OS_SERIAL_FAILED: '无法使用串口 {device}：{detail}',
  },
  families: {
    'cdc-acm': 'CDC-ACM（USB 串口类）',
    ftdi: 'FTDI',
    cp210x: 'Silicon Labs CP210x',
    ch34x: '沁恒 CH340/CH341',
    pl2303: 'Prolific PL2303',
    none: '不支持的适配器',
  },
  paths: {
    usb: 'Wattlet 的 USB 驱动',
    os: '操作系统串口',
    auto: '自动',
  },
  hotplug: {
    connect: '{product} 已插入',
    disconnect: '{product} 已移除',
  },
};
