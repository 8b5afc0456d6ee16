"""The roster of a talent donation or volunteer service becomes shifts (who, which days and
hours, from when until when); the free text of the first directory is read into shifts —
one per line or per " / " part, "who: 월·수 09:00–12:00" —, what is not a day or an hour kept
in the shift's note — and the text field goes."""

import datetime as dt
import re

import django.db.models.deletion
from django.db import migrations, models

WEEKDAYS_KO = "월화수목금토일"


def text_to_shifts(apps, schema_editor):
    Service = apps.get_model("resources", "Service")
    RosterShift = apps.get_model("resources", "RosterShift")
    hours = re.compile(r"^(\d{1,2}):(\d{2})(?:[–-](?:(\d{1,2}):(\d{2}))?)?$")


    def at(h, m):
        if h is None or m is None or int(h) > 23 or int(m) > 59:
            return None
        return dt.time(int(h), int(m))

    for service in Service.objects.exclude(roster=""):
        for line in re.split(r"\n|\s/\s", service.roster):
            line = line.strip()
            if not line:
                continue
            who, sep, rest = line.partition(": ")
            if not sep:
                who, rest = line, ""
            days, starts, ends, left = [], None, None, []
            for token in rest.split():
                bare = token.replace("·", "").replace(",", "")
                match = hours.match(token)
                if bare and all(ch in WEEKDAYS_KO for ch in bare):
                    days += [WEEKDAYS_KO.index(ch) for ch in bare]
                elif match and starts is None and at(match.group(1), match.group(2)):
                    starts = at(match.group(1), match.group(2))
                    ends = at(match.group(3), match.group(4))
                else:
                    left.append(token)
            RosterShift.objects.create(
                service=service,
                volunteer_name=who.strip()[:120] or "—",
                weekdays=sorted(set(days)),
                starts_at=starts,
                ends_at=ends,
                note=" ".join(left)[:200],
            )


def shifts_to_text(apps, schema_editor):
    Service = apps.get_model("resources", "Service")
    for service in Service.objects.filter(shifts__isnull=False).distinct():
        lines = []
        for s in service.shifts.order_by("id"):
            days = "·".join(WEEKDAYS_KO[d] for d in s.weekdays)
            lines.append(f"{s.volunteer_name}: {days}".rstrip(": "))
        service.roster = " / ".join(lines)
        service.save(update_fields=["roster"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_safetynetmember_sex'),
        ('resources', '0002_directory'),
    ]

    operations = [
        migrations.CreateModel(
            name='RosterShift',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('volunteer_name', models.CharField(blank=True, help_text='For a volunteer or group outside the safety net.', max_length=120, verbose_name='volunteer or group')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('weekdays', models.JSONField(blank=True, default=list, verbose_name='weekdays')),
                ('starts_at', models.TimeField(blank=True, null=True, verbose_name='from (time)')),
                ('ends_at', models.TimeField(blank=True, null=True, verbose_name='until (time)')),
                ('from_on', models.DateField(blank=True, null=True, verbose_name='from')),
                ('until_on', models.DateField(blank=True, null=True, verbose_name='until')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='roster_shifts', to='accounts.safetynetmember', verbose_name='safety-net member')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shifts', to='resources.service')),
            ],
            options={
                'ordering': ['service_id', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('member__isnull', False), models.Q(('volunteer_name', ''), _negated=True), _connector='OR'), name='roster_shift_names_someone')],
            },
        ),
        migrations.RunPython(text_to_shifts, shifts_to_text),
        migrations.RemoveField(
            model_name='service',
            name='roster',
        ),
    ]
