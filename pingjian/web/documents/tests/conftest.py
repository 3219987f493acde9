from pingjian.web.applications.testing import *  # noqa: F403
