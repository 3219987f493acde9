import pytest

from pingjian.web.programs.actions import do_load_program_files
from pingjian.web.programs.models import ProgramVersion


@pytest.fixture
def programs(db):
    do_load_program_files(actor=None)
    return {v.program_id: v for v in ProgramVersion.objects.published()}
