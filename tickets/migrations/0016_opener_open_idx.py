"""My Open Ticket reads its page from an index of the agent's open tickets in list order.
Building it holds writes to the ticket table for a few seconds at a million tickets."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_referenceversion'),
        ('taxonomy', '0001_initial'),
        ('tickets', '0015_make_word_bitmaps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'reopened'])), fields=['opened_by', '-opened_at', '-id', 'assignment_group'], name='ticket_opener_open_idx'),
        ),
    ]
