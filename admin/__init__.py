"""The admin web page for OPD admins and Kominfo (aiohttp + Jinja2)."""
