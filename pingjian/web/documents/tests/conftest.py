from pingjian.web.applications.testing import *  # noqa: F403
from pingjian.web.documents.testing import *  # noqa: F403
