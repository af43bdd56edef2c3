// What other features use of the approval plans (审批节点计划): the plan on the project page, the
// nodes a department owes, the dispatcher's board, the leader's plans. Pages of its own (the
// template editor) are routes.
export { PlanSection } from './PlanSection';
export { PlanOnly } from './PlanOnly';
export { NodesOwed, NodesBoard } from './NodesOwed';
export { PortfolioPlans } from './PortfolioPlans';
