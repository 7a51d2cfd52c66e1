#!/usr/bin/python
# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: nftables_info
short_description: Read the nftables ruleset as facts
version_added: "0.1.0"
description:
  - Reads the ruleset (or some tables of it) through NftPS's C(nftps) command and returns it as nft text and as a
    list of tables, under C(ansible_facts.nftables). Never changes anything.
author:
  - NftPS contributors
requirements:
  - nftps (NftPS's native command) on the managed host
options:
  family:
    description:
      - Only tables of this family.
    type: str
    choices: [ip, ip6, inet, arp, bridge, netdev]
  table:
    description:
      - Only the table of this name (with I(family)).
    type: str
  netns:
    description:
      - A named network namespace or a namespace path. Default is the namespace the module runs in.
    type: str
  stateless:
    description:
      - Leave counter values and set elements the packet path added out of the text (as C(nft -s)).
    type: bool
    default: false
  nftps_path:
    description:
      - Path of the C(nftps) command. Default is C(NFTPS_PATH), then C(PATH).
    type: path
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
'''

EXAMPLES = r'''
- name: Read the ruleset
  nftps.nftables.nftables_info:

- name: Show one table
  nftps.nftables.nftables_info:
    family: inet
    table: filter
- ansible.builtin.debug:
    var: ansible_facts.nftables.ruleset
'''

RETURN = r'''
ansible_facts:
  description: Facts under the C(nftables) key.
  returned: always
  type: complex
  contains:
    nftables:
      description: The ruleset read.
      type: complex
      contains:
        ruleset:
          description: The ruleset as nft text (as C(nft list ruleset) prints it).
          type: str
        tables:
          description: The tables, each with C(family), C(name), and counts of C(chains), C(sets) and C(rules).
          type: list
          elements: dict
        generation:
          description: The ruleset generation it was read at.
          type: int
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.nftps.nftables.plugins.module_utils.nftps import run_nftps, finish


def main():
    module = AnsibleModule(
        argument_spec=dict(
            family=dict(type='str', choices=['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']),
            table=dict(type='str'),
            netns=dict(type='str'),
            stateless=dict(type='bool', default=False),
            nftps_path=dict(type='path'),
        ),
        required_by={'table': 'family'},
        supports_check_mode=True,
    )
    finish(module, run_nftps(module, 'info'))


if __name__ == '__main__':
    main()
