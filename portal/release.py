"""What names the running code in the cache's keys (settings.RELEASE).

Cached pages and data are kept until the catalogue changes, and a shared cache (Redis,
memcached) outlives a deployment: without the code's name in their keys, servers
running a new release would serve pages rendered by the old one, whose hashed
stylesheets a fresh build no longer holds, and read data cached in the old shape,
until the next edit or the end of PAGE_CACHE_SECONDS. During a rolling deployment,
each release then keeps its own copies.

The name is the RELEASE environment variable when the deployment sets one (a commit,
a version); otherwise a digest of what renders the pages: the apps' Python code, the
templates and the static files' manifest, and the versions of the installed packages
that render the pages or make the objects kept in the cache (a deployment that only
upgrades Django changes the pickled shape of the models it caches).
"""

import hashlib
from importlib import metadata
from pathlib import Path

APPS = ("portal", "metiers", "formations")
MANIFEST = "staticfiles.json"
PACKAGES = ("Django", "Jinja2", "MarkupSafe", "django-filter", "nh3")


def package_versions():
    """`PACKAGES` with their installed versions, as "name==version" lines."""
    return "\n".join(f"{name}=={metadata.version(name)}" for name in PACKAGES)


def rendering_files(base_dir, static_root):
    """The files whose content makes a page what it is, in a stable order."""
    base_dir = Path(base_dir)
    files = [path for app in APPS for path in (base_dir / app).rglob("*.py")]
    files += (base_dir / "templates").rglob("*.html")
    files += [path for app in APPS for path in (base_dir / app).rglob("templates/**/*.html")]
    manifest = Path(static_root) / MANIFEST
    if manifest.is_file():
        files.append(manifest)
    return sorted(set(files))


def code_release(base_dir, static_root):
    """A short digest of `rendering_files` (each file's path and content) and of
    `package_versions`."""
    base_dir = Path(base_dir)
    digest = hashlib.sha256(package_versions().encode())
    for path in rendering_files(base_dir, static_root):
        name = path.relative_to(base_dir) if path.is_relative_to(base_dir) else path.name
        digest.update(str(name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
