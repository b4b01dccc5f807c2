"""A ``site_built`` hook that fails to upload the site."""

from openledger import hookimpl


@hookimpl
def site_built(site_dir, context):
    raise PermissionError(f"cannot upload {site_dir.name}: access denied")
