"""Seed walkthrough (e): the server's preferred resources, as `kubectl api-resources` prints them.

Usage: python api_resources_list.py [--kubeconfig PATH] [--master URL] [--context NAME]
"""
import sys

import _setup  # noqa: F401
import example_args
import kubeclient


def main() -> None:
    args = example_args.parser(__doc__).parse_args()
    with kubeclient.Client(example_args.load_config(args)) as client:
        rows = []
        for resource_list in client.preferred_resources():
            for resource in resource_list["resources"]:
                rows.append((resource["name"], ",".join(resource.get("shortNames", [])),
                             resource_list["groupVersion"], str(resource["namespaced"]).lower(), resource["kind"]))
        rows.sort(key=lambda row: (row[2].partition("/")[0] if "/" in row[2] else "", row[0]))
        header = ("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND")
        widths = [max(len(row[i]) for row in rows + [header]) for i in range(5)]
        for row in [header] + rows:
            print("   ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip())


if __name__ == "__main__":
    try:
        main()
    except kubeclient.KubeClientError as error:
        sys.exit(f"error: {error}")
