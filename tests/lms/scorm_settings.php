<?php
// Change a SCORM activity's settings the way its settings form would, regrade, and print
// (JSON) the learner's grade: for tests/lms/test_moodle_settings.py (make test-lms).
//   LMS_HOME=... php scorm_settings.php --cmid=N [--forcenewattempt=0|1|2]
//       [--grademethod=0|1|2|3] [--whatgrade=0|1|2|3] [--student=student1]
define('CLI_SCRIPT', true);
require((getenv('LMS_HOME') ?: getenv('HOME') . '/.cache/mooc-lms') . '/moodle/config.php');
require_once($CFG->libdir . '/clilib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/mod/scorm/lib.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');

[$opt, $unrec] = cli_get_params(['cmid' => 0, 'student' => 'student1', 'forcenewattempt' => null,
    'grademethod' => null, 'whatgrade' => null]);
$cm = get_coursemodule_from_id('scorm', (int)$opt['cmid'], 0, false, MUST_EXIST);
$scorm = $DB->get_record('scorm', ['id' => $cm->instance], '*', MUST_EXIST);
$user = $DB->get_record('user', ['username' => $opt['student'], 'deleted' => 0], '*', MUST_EXIST);
foreach (['forcenewattempt', 'grademethod', 'whatgrade'] as $field) {
    if ($opt[$field] !== null) {
        $scorm->$field = (int)$opt[$field];
    }
}
$DB->update_record('scorm', $scorm);
$scorm->cmidnumber = $cm->idnumber;
scorm_grade_item_update($scorm);
scorm_update_grades($scorm, $user->id);
$grades = grade_get_grades($cm->course, 'mod', 'scorm', $scorm->id, $user->id);
$item = $grades->items[0] ?? null;
$grade = $item ? ($item->grades[$user->id] ?? null) : null;
echo json_encode([
    'forcenewattempt' => (int)$scorm->forcenewattempt, 'grademethod' => (int)$scorm->grademethod,
    'whatgrade' => (int)$scorm->whatgrade,
    'grade' => $grade && $grade->grade !== null ? (float)$grade->grade : null,
    'grademax' => $item ? (float)$item->grademax : null,
]), "\n";
