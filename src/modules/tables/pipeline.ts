/**
 * The OpenFlow pipeline, declared once as data: every table the SDN modules use, in packet
 * order, with the module that fills it. Modules ask the openflow manager for a table's number
 * by name; no table number is written anywhere else (a Faucet habit).
 */
import type { TableRequest } from './table-plan';

export const PIPELINE: readonly TableRequest[] = [
  { name: 'ingress', owner: 'l2 (port processing)' },
  { name: 'portsecurity', owner: 'l2', after: ['ingress'] },
  { name: 'arp', owner: 'arpresponder', after: ['portsecurity'] },
  { name: 'dhcp', owner: 'dhcpserver', after: ['arp'] },
  { name: 'l3input', owner: 'vrouter', after: ['dhcp'] },
  { name: 'l3router', owner: 'vrouter', after: ['l3input'] },
  { name: 'l2output', owner: 'l2', after: ['l3router'] },
  { name: 'egress', owner: 'l2', after: ['l2output'] },
];
