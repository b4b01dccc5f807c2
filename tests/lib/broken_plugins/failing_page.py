"""A site page whose ``render`` raises."""

from openledger import hookimpl


class Press:
    path = "press.md"
    title = "Press"

    def render(self, context):
        return "# Press\n\n" + context.no_such_field


@hookimpl
def register_site_pages(register):
    register(Press())
