import type { protocols as en } from '../en/protocols.js';

// 简体中文：电表协议与会话
export const protocols: typeof en = {
  errors: {
    METER_CHECKSUM: '电表发来的一帧数据已损坏（校验和不符），已跳过。偶尔出现属正常；频繁出现说明线缆松动或波特率不对。',
    METER_FRAMING: '电表发来的字节不能组成完整的帧。如果持续出现，请检查线路设置和线缆。',
    METER_FRAME_TOO_LONG: '电表发送的数据超出一帧的最大长度且没有结束标记，波特率可能设置错误。',
    METER_NO_ANSWER: '电表没有应答（{protocol}）。请检查读表头是否贴在电表上、线缆是否插好。',
    METER_DETECT_NONE: '尝试 {attempts} 次后仍未识别出电表协议。请检查线缆以及电表端口是否已启用；详情：{summary}',
    METER_DLT645_EXCEPTION: '电表拒绝了请求（DL/T 645 异常应答），可能不提供该数据项。',
    METER_MODBUS_EXCEPTION: '电表返回了 Modbus 异常。请检查从站地址和电表型号。',
    METER_SMARTY_KEY: '此电表的数据经过加密。请输入电网运营商提供的 16 字节密钥（及认证数据）。',
    METER_SMARTY_AUTH: '无法验证电表的加密数据：密钥或认证数据不正确。',
    METER_TRUNCATED: '数据在一帧的中间结束（录制停止或线缆被拔出），该帧未被读取。',
    METER_NO_QUANTITIES: '电表发来的一帧包含数据行，但没有一行能读成数值。请在“诊断”中查看这些行。',
    METER_SESSION_NOT_RUNNING: '当前没有正在读取的电表。请先连接电表。',
  },
  states: {
    idle: '未启动',
    connecting: '正在连接适配器…',
    detecting: '正在识别电表协议…',
    reading: '正在读取电表',
    waiting: '连接中断，即将重试',
    stopped: '已停止',
  },
  counters: {
    framesOk: '已接收帧数',
    checksumErrors: '校验错误',
    framingErrors: '帧格式错误',
    timeouts: '超时',
    exceptions: '被拒绝的请求',
    reconnects: '重新连接',
  },
};
