#!/usr/bin/python
# -*- coding: utf-8 -*-
# The module is a thin carrier: nftps (NftPS's native command) compiles the desired state, compares it with the
# kernel's tables, and commits the smallest change in one atomic transaction.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: nftables_ruleset
short_description: Converge nftables tables to a desired state
version_added: "0.1.0"
description:
  - Makes the tables a desired state names exactly what it says, with the smallest change, sent to the kernel as
    one atomic transaction. Tables the desired state does not name are never read or changed.
  - The desired state is nft text (I(src) or I(content)), or libnftables JSON (I(tables)).
  - C(changed) is true only when something was (or, in check mode, would be) sent. Check mode sends nothing.
    Diff mode shows the managed tables before and after as nft text.
  - Runs the C(nftps) command of NftPS, found through I(nftps_path), the C(NFTPS_PATH) environment variable, or
    C(PATH), in that order.
author:
  - NftPS contributors
requirements:
  - nftps (NftPS's native command) on the managed host
  - Linux with nf_tables; root (CAP_NET_ADMIN in the target network namespace)
options:
  src:
    description:
      - Path on the managed host of an nft file (what C(nft -f) loads; define and include work, include relative
        to the file).
    type: path
  content:
    description:
      - The desired state as nft text (the language of an nft file).
    type: str
  tables:
    description:
      - The desired state as structured data, a libnftables JSON document (what C(nft -j list ruleset) prints),
        either the whole document (a dict with an C(nftables) list) or just the list of its objects.
    type: raw
  state:
    description:
      - C(present) makes the tables what the desired state says; C(absent) deletes every table it names.
    type: str
    choices: [present, absent]
    default: present
  netns:
    description:
      - A named network namespace (C(ip netns) name) or a namespace path such as C(/proc/PID/ns/net). Default is the
        namespace the module runs in.
    type: str
  purge:
    description:
      - Remove what a managed table holds and the desired state does not list. With C(false) only add and change.
    type: bool
    default: true
  include_dynamic_elements:
    description:
      - Also converge the elements of sets the packet path fills (dynamic sets, sets with timeouts).
    type: bool
    default: false
  include_object_values:
    description:
      - Also converge the values of named counters and quotas.
    type: bool
    default: false
  confirm_within:
    description:
      - Seconds. Arm a rollback of the managed tables before the change is sent; it is undone unless confirmed
        within this time (C(nftps confirm ID), or the next run of this module with the same desired state).
        The pending change's id is returned as C(pending_change).
    type: int
  nftps_path:
    description:
      - Path of the C(nftps) command. Default is C(NFTPS_PATH), then C(PATH).
    type: path
notes:
  - Exactly one of I(src), I(content) and I(tables) is required.
  - A desired state that does not compile fails the task with nft's message and its caret line; a change the
    kernel refuses fails the task with the kernel's message, and nothing is applied.
  - Supports check mode and diff mode.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
'''

EXAMPLES = r'''
- name: Default-deny egress from a file on the host
  nftps.nftables.nftables_ruleset:
    src: /etc/nftables.d/egress.nft

- name: Inline nft text, only adding (never removing) in the managed table
  nftps.nftables.nftables_ruleset:
    content: |
      table inet filter {
        chain input {
          type filter hook input priority 0; policy accept;
          tcp dport 22 accept
        }
      }
    purge: false

- name: Structured (libnftables JSON) in another network namespace
  nftps.nftables.nftables_ruleset:
    netns: blue
    tables:
      - table: {family: inet, name: web}
      - chain: {family: inet, table: web, name: input, type: filter, hook: input, prio: 0, policy: accept}

- name: Remove the tables the file names
  nftps.nftables.nftables_ruleset:
    src: /etc/nftables.d/egress.nft
    state: absent
'''

RETURN = r'''
commands:
  description: The nft commands sent (in check mode, that would be sent), in batch order.
  returned: always
  type: list
  elements: str
  sample: ["add rule inet filter output oifname \"lo\" accept"]
differences:
  description: How many differences were found between the host and the desired state.
  returned: always
  type: int
tables:
  description: The managed tables, as C(family name) strings.
  returned: always
  type: list
  elements: str
  sample: ["inet filter"]
ruleset:
  description: The managed tables as nft text after the change (in check mode, as they are now).
  returned: success
  type: str
pending_change:
  description: The id of the armed rollback (I(confirm_within) only).
  returned: when a rollback was armed
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.nftps.nftables.plugins.module_utils.nftps import run_nftps, finish


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type='path'),
            content=dict(type='str'),
            tables=dict(type='raw'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            netns=dict(type='str'),
            purge=dict(type='bool', default=True),
            include_dynamic_elements=dict(type='bool', default=False),
            include_object_values=dict(type='bool', default=False),
            confirm_within=dict(type='int'),
            nftps_path=dict(type='path'),
        ),
        mutually_exclusive=[('src', 'content', 'tables')],
        required_one_of=[('src', 'content', 'tables')],
        supports_check_mode=True,
    )
    finish(module, run_nftps(module, 'ruleset'))


if __name__ == '__main__':
    main()
