/**
 * The OpenFlow pipeline, declared once as data: every table the SDN modules use, in packet
 * order, with the module that fills it. Modules ask the openflow manager for a table's number
 * by name; no table number is written anywhere else (a Faucet habit).
 */
import type { TableRequest } from './table-plan';

export const PIPELINE: readonly TableRequest[] = [
  // Packets from unknown ports, or that fail port security, go no further.
  { name: 'ingress', owner: 'l2 (port processing)', miss: 'drop' },
  { name: 'portsecurity', owner: 'l2', after: ['ingress'], miss: 'drop' },
  // Tables that handle some packets and pass the rest on.
  { name: 'arp', owner: 'arpresponder', after: ['portsecurity'], miss: 'next' },
  { name: 'dhcp', owner: 'dhcpserver', after: ['arp'], miss: 'next' },
  { name: 'l3input', owner: 'l3', after: ['dhcp'], miss: 'next' },
  { name: 'l3router', owner: 'l3', after: ['l3input'], miss: 'next' },
  { name: 'l2output', owner: 'l2', after: ['l3router'], miss: 'drop' },
  { name: 'egress', owner: 'l2', after: ['l2output'], miss: 'drop' },
];
