# -*- coding: utf-8 -*-
# Shared by the nftps.nftables modules: find the nftps command and run one of its Ansible entry points.
# All logic (parsing, comparison, the atomic commit, nft text for the diff) is in nftps; this only carries the
# module's parameters there as JSON on stdin and its JSON answer back to Ansible.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os


def find_nftps(module):
    """nftps_path option, then the NFTPS_PATH environment variable, then PATH."""
    path = module.params.get('nftps_path') or os.environ.get('NFTPS_PATH')
    if path:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            module.fail_json(msg='nftps not found or not executable at %s' % path)
        return path
    return module.get_bin_path('nftps', required=True)


def run_nftps(module, entry):
    """Runs `nftps ansible ENTRY` with {params, check_mode, diff} on stdin and returns its JSON result."""
    request = {
        'params': module.params,
        'check_mode': module.check_mode,
        'diff': module._diff,
    }
    rc, out, err = module.run_command([find_nftps(module), 'ansible', entry], data=json.dumps(request),
                                      binary_data=True, encoding='utf-8')
    try:
        result = json.loads(out)
    except ValueError:
        module.fail_json(msg='nftps gave no JSON result (exit code %d): %s' % (rc, (err or out).strip()), rc=rc)
    if not isinstance(result, dict):
        module.fail_json(msg='nftps gave an unexpected result: %s' % out.strip(), rc=rc)
    return result


def finish(module, result):
    if result.pop('failed', False):
        module.fail_json(**result)
    module.exit_json(**result)
